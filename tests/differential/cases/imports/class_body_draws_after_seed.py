# A class body draws a random number after the seed is set; hoisting the class above the seed changes it.
# %%
import random
random.seed(11)
# %%
class Config:
    jitter = random.random()
print(round(Config.jitter, 8))
