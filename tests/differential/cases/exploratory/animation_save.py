# An animation built with plt objects is saved as a GIF: anim.save writes a file.
# %%
import matplotlib
import matplotlib.pyplot as plt
from matplotlib import animation
fig, ax = plt.subplots(figsize=(2, 2), dpi=20)
line, = ax.plot([0, 1], [0, 1])
def step(frame):
    line.set_ydata([0, frame])
    return (line,)
anim = animation.FuncAnimation(fig, step, frames=3)
anim.save("anim.gif", writer=animation.PillowWriter(fps=2))
plt.close(fig)
