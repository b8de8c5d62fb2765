def test_the_world_builds(world):
    assert world.li_ming.unit_assignments.open().get().post == world.wang_fang_post
