"""Chat agent, alarm verification workflow and report drafting (built on `tools`); the
composition root that builds them once per context is `agent.services`."""
