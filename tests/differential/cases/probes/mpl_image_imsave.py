# matplotlib.image.imsave writes a file.
# %%
import numpy as np
import matplotlib.image as mpimg
# %%
mpimg.imsave("img.png", np.zeros((2, 2)))
