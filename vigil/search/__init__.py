"""Search over recorded video: the service behind the CLI, the API and the agent's tools.

`service` (hybrid retrieval), `lexical` (BM25 and language words), `ranking` (fusion and
metrics, pure functions), `moments` (hits grouped into moments), `evaluate` (measured
quality on the sample data).
"""
