# A print that draws a random number: dropping it as an inspection shifts every later draw.
# %%
import random
random.seed(7)
# %%
print(random.random())
# %%
later = random.randint(0, 1000)
print(later)
