"""Dialogs: importing a CSV, recording an animation, the Monte Carlo panel."""
