// placeholder while the target is being written
