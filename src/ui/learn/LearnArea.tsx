import { AreaPlaceholder } from '../shell/AreaPlaceholder';

/** Placeholder until the lessons issue lands. */
export default function LearnArea() {
  return (
    <AreaPlaceholder>
      Learn will hold short lessons on how AWS decides who may use a KMS key, each with checkpoint quizzes and
      exercises that open in the lab.
    </AreaPlaceholder>
  );
}
