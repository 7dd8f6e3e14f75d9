"""FastAPI app: a router per resource, pydantic request/response models, Jinja2 pages."""
