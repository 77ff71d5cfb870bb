"""graphq.queue"""
