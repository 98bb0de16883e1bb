# Assigning through locals() at top level works in a notebook (it is globals()).
# %%
locals()["injected"] = 5
# %% [markdown]
# ## Use
# %%
print(injected + 1)
