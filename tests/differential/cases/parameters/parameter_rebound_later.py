# A setting from the parameters cell is rebound by a later section and read after that.
# %% tags=["parameters"]
alpha = 0.5
# %% [markdown]
# ## First use
# %%
first = alpha * 2
# %% [markdown]
# ## Change
# %%
alpha = 0.9
second = alpha * 2
print(first, second)
