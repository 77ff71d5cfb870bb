"""graphq.db"""
