"""The pure domain of Registre: aggregates, value objects and rules. No I/O."""
