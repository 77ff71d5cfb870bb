"""A plot's curve ink, as column runs, followed into curves."""
