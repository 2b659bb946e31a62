"""Demo content for expertnet: fictional organisations, people, expert profiles and requests."""
