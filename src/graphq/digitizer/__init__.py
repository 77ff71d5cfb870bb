"""graphq.digitizer"""
