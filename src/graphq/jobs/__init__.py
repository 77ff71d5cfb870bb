"""Job kinds built into graphq: each module registers one handler with the queue."""
