# A parameters cell computes one setting from a name bound before it.
# %%
base_lr = 0.5
# %% tags=["parameters"]
lr = base_lr / 10
# %% [markdown]
# ## Use
# %%
print(lr)
