"""graphq.spice"""
