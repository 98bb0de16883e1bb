# A file opened for writing and never closed: its buffer is flushed when its last reference goes.
# %% [markdown]
# ## Write
# %%
handle = open("out.txt", "w")
handle.write("hello")
# %% [markdown]
# ## Read
# %%
with open("out.txt") as reader:
    print(repr(reader.read()))
