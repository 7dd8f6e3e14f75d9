"""Prompt and report templates (Jinja2), shipped as package data: `vigil.prompts` loads them
from wherever the package is installed, an editable checkout or a wheel."""
