# gc.collect() after a section leaves a reference cycle behind.
# %%
import gc
class Node:
    pass
# %% [markdown]
# ## Cycle
# %%
node = Node()
node.me = node
# %% [markdown]
# ## Count
# %%
print(sum(isinstance(o, Node) for o in gc.get_objects()))
