print("other.py running")
CONSTANT = 7


def helper(v):
    return v + CONSTANT
