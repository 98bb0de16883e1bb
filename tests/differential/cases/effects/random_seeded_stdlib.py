# random.seed, then draws in several sections; the sequence must be the notebook's.
# expect: same
# %%
import random
random.seed(42)
# %% [markdown]
# ## Draw
# %%
first = [random.randint(0, 9) for _ in range(3)]
# %% [markdown]
# ## Shuffle
# %%
deck = list(range(6))
random.shuffle(deck)
print(first, deck)
