# A lambda reading a global that is rebound between its calls.
# %%
offset = 1
shift = lambda v: v + offset
# %% [markdown]
# ## Use
# %%
a = shift(1)
offset = 100
b = shift(1)
print(a, b)
