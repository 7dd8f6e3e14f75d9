"""Chat agent, alarm verification workflow and report drafting (built on `tools`)."""
