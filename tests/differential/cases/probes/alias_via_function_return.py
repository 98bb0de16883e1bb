# A notebook function returns its argument; an item assigned through the result, then only displayed.
# %%
def identity(x):
    return x
original = [1, 2]
same = identity(original)
# %%
same[0] = 9
# %%
same
# %%
print(original)
