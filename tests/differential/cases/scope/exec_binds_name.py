# exec() binds a name in the notebook namespace; a later section reads it.
# %%
code = "made_by_exec = 6 * 7"
# %% [markdown]
# ## Exec
# %%
exec(code)
# %% [markdown]
# ## Read
# %%
print(made_by_exec)
