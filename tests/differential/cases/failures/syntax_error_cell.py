# A cell with a syntax error: the notebook fails on it; convert cannot produce a script from it.
# notebook: fails
# %%
print("fine")
# %%
def broken(:
    pass
