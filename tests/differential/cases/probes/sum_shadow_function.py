# sum rebound to a number; a function defined earlier calls len which is shadowed too.
# %%
def count(xs):
    return len(xs)
# %%
len = lambda xs: 99
# %%
print(count([1, 2]))
