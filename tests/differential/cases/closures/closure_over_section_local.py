# A lambda made in one section closes over a name that a later section rebinds.
# %% [markdown]
# ## Make
# %%
base = 10
add_base = lambda v: v + base
# %% [markdown]
# ## Rebind
# %%
base = 20
# %% [markdown]
# ## Call
# %%
print(add_base(1))
