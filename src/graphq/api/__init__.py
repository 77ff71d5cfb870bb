"""graphq.api"""
