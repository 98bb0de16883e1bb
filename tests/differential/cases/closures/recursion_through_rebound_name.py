# A recursive function calls itself through its global name, which is later rebound.
# %%
def fact(n):
    return 1 if n == 0 else n * fact(n - 1)
original = fact
# %% [markdown]
# ## Rebind
# %%
def fact(n):
    return 0
print(original(3))
