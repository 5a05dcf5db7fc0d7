"""The outside world: national systems clients, payload builders, sandbox simulators, and the sync runner."""
