"""Career check-ins: when to prompt people, and what they answer."""
