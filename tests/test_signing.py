import base64

import pytest

from vigil.signing import SignatureError, check_basic

SECRETS = {"nvr": "s3cret"}


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def test_basic_credentials_name_their_source_and_anything_else_is_refused():
    assert check_basic(SECRETS, basic("nvr:s3cret")) == "nvr"
    for header in (basic("nvr:guess"), basic("other:s3cret"), "Bearer x", "Basic %%%", None):
        with pytest.raises(SignatureError, match="bad or missing credentials"):
            check_basic(SECRETS, header)
