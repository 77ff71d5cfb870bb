"""The digitizing methods a request can pick: standard, seeded, legacy and llm."""
