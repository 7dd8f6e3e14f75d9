"""Site policies (YAML + schema), shipped as package data with the installed package."""
