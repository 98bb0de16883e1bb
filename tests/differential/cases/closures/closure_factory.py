# A factory returns closures over its argument.
# expect: same
# %%
def make_adder(n):
    def add(x):
        return x + n
    return add
# %% [markdown]
# ## Adders
# %%
add2 = make_adder(2)
add5 = make_adder(5)
print(add2(1), add5(1))
