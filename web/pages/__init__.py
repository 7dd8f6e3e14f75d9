"""The operators' pages (Jinja2, htmx): a router per area, above the JSON API."""
