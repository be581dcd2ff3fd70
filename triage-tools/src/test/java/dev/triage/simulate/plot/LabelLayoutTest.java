package dev.triage.simulate.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.simulate.plot.LabelLayout.Box;
import dev.triage.simulate.plot.LabelLayout.Placement;
import org.junit.jupiter.api.Test;

class LabelLayoutTest {

    private final LabelLayout layout = new LabelLayout(new Box(0, 0, 400, 300));

    @Test
    void aLabelGoesRightOfItsPointCentredOnIt() {
        Placement placed = layout.placeSeriesLabel(100, 150, 60, 20, 8);

        assertThat(placed).isEqualTo(new Placement(new Box(108, 140, 60, 20), false));
    }

    @Test
    void aSecondLabelOnTheSamePointIsNudgedUpByHalfHeights() {
        layout.placeSeriesLabel(100, 150, 60, 20, 8);
        Placement second = layout.placeSeriesLabel(100, 150, 60, 20, 8);

        assertThat(second).isEqualTo(new Placement(new Box(108, 120, 60, 20), false));
    }

    @Test
    void aLabelThatWouldLeaveTheCanvasGoesLeft() {
        Placement placed = layout.placeSeriesLabel(380, 150, 60, 20, 8);

        assertThat(placed).isEqualTo(new Placement(new Box(312, 140, 60, 20), true));
    }

    @Test
    void labelsStepAroundMarks() {
        layout.blockMark(130, 150, 4);

        Placement placed = layout.placeSeriesLabel(100, 150, 60, 20, 8);

        assertThat(placed.box().intersects(new Box(126, 146, 8, 8))).isFalse();
        assertThat(placed).isEqualTo(new Placement(new Box(108, 120, 60, 20), false));
    }

    @Test
    void aNoteWithNoRoomIsLeftOut() {
        LabelLayout tiny = new LabelLayout(new Box(0, 0, 40, 40));

        assertThat(tiny.placeNote(20, 20, 50, 12, 4)).isEmpty();
        assertThat(tiny.placeNote(20, 20, 10, 12, 4)).get().extracting(Placement::box).isEqualTo(new Box(15, 4, 10, 12));
    }

    @Test
    void textWidthIsEstimatedPerCharacter() {
        assertThat(LabelLayout.textWidth("ab", 10)).isEqualTo(12.4);
        assertThat(LabelLayout.textWidth("W1.", 10)).isCloseTo(19.1, org.assertj.core.data.Offset.offset(1e-9));
    }
}
