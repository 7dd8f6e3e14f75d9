"""The agent's tools: plain typed functions first, a thin LangChain binding second."""
