# A function default drawn from the random module when the def runs, after the seed.
# %%
import random
random.seed(5)
# %%
def noisy(x, noise=random.random()):
    return x + noise
# %%
print(round(noisy(1), 8))
