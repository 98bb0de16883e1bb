# "...".format(**globals()) fills a template from notebook variables.
# %%
name = "probe"
size = 3
# %% [markdown]
# ## Message
# %%
message = "{name} has {size} items".format(**globals())
print(message)
