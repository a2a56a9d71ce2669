/**
 * Argument schemas shared by several airline tools, worded exactly as τ-bench publishes them
 * (tools/airline.json), so models see the same descriptions.
 */
import { z } from 'zod';

export const cabinSchema = z.enum(['basic_economy', 'economy', 'business']);

export const reservationIdSchema = z.string().describe("The reservation ID, such as 'ZFA04Y'.");

export const paymentIdSchema = z
  .string()
  .describe(
    "The payment id stored in user profile, such as 'credit_card_7815826', 'gift_card_7815826', 'certificate_7815826'.",
  );

export const flightSegmentSchema = z.object({
  flight_number: z.string().describe("Flight number, such as 'HAT001'."),
  date: z.string().describe("The date for the flight in the format 'YYYY-MM-DD', such as '2024-05-01'."),
});

export const passengersSchema = z
  .array(
    z.object({
      first_name: z.string().describe("The first name of the passenger, such as 'Noah'."),
      last_name: z.string().describe("The last name of the passenger, such as 'Brown'."),
      dob: z.string().describe("The date of birth of the passenger in the format 'YYYY-MM-DD', such as '1990-01-01'."),
    }),
  )
  .describe('An array of objects containing details about each passenger.');

/** The search tools' airport and date arguments (the date example differs between the two). */
export function searchSchema(dateExample: string): z.ZodObject {
  return z.object({
    origin: z.string().describe("The origin city airport in three letters, such as 'JFK'."),
    destination: z.string().describe("The destination city airport in three letters, such as 'LAX'."),
    date: z.string().describe(`The date of the flight in the format 'YYYY-MM-DD', such as '${dateExample}'.`),
  });
}
