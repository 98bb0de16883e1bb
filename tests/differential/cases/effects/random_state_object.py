# A RandomState object drawn from in a helper function and in a section.
# The function reads a name main() binds: the name stays a module global, declared in main() (NB204).
# expect: kept
# %%
import numpy as np
state = np.random.RandomState(3)
def draw():
    return state.randint(0, 1000)
# %% [markdown]
# ## Draws
# %%
a = draw()
b = state.randint(0, 1000)
c = draw()
print(a, b, c)
