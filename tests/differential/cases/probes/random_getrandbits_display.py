# random.Random object: getrandbits shown advances it.
# %%
import random
r = random.Random(0)
# %%
r.getrandbits(8)
# %%
print(r.random())
