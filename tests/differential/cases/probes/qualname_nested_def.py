# A function reading a section-local value prints its own __qualname__.
# %% [markdown]
# ## Build
# %%
scale = 3
def scaled(x):
    return x * scale
print(scaled.__qualname__, scaled(2))
