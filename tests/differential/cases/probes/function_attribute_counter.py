# A function counting its calls in an attribute of itself, called in a display.
# %%
def hit():
    hit.count = getattr(hit, "count", 0) + 1
    return hit.count
# %%
hit()
# %%
print(hit())
