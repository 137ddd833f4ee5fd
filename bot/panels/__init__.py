"""Review panels: promotion cycles with dates, panels with scope, chair and channel, recusal, digests and decisions."""
