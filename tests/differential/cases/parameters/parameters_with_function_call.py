# A parameters cell calls a function: the value is computed, not a literal.
# %%
def default_seed():
    return 40 + 2
# %% tags=["parameters"]
seed = default_seed()
rounds = 2
# %% [markdown]
# ## Use
# %%
print(seed * rounds)
