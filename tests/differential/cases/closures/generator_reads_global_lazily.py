# A generator expression reads a global lazily: rebinding before consumption changes its values.
# %%
k = 1
gen = (x * k for x in range(3))
# %% [markdown]
# ## Consume
# %%
k = 10
print(list(gen))
