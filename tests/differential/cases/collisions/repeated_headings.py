# Two sections with the same heading; both run in order.
# expect: same
# %%
value = 1
# %% [markdown]
# ## Step
# %%
value = value + 1
first = value
# %% [markdown]
# ## Step
# %%
value = value * 10
print(first, value)
