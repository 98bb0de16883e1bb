# A section's code reads the module's __name__ in a function.
# %%
def where():
    return __name__
# %%
print(where())
